"""Lianqing (廉情): integrity-supervision platform."""

__version__ = "0.1.0"
