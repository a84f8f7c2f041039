"""Report packages: building, verifying and reading the sealed ZIP a unit sends for one period."""
