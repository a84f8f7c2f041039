"""KHBC ("Kế hoạch – Báo cáo"): plans, progress and periodic reports for a Vietnamese department."""

__version__ = "0.1.0"
