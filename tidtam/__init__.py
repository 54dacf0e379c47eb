"""tidtam (ติดตาม): monitoring, evaluation and inspection of Thai education."""

__version__ = "0.1.0"
