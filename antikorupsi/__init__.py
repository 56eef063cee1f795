"""antikorupsi: scoring and reporting for KPK's Percontohan Kabupaten/Kota Antikorupsi."""

__version__ = "0.1.0"
