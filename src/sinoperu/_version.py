"""The package version (CalVer: YY.MINOR.MICRO), kept here so import stays cheap."""

__version__ = "26.2.0"
