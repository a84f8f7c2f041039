"""Digital signatures (ký số): signing the report PDF, sealing the package, checking both on receipt, offline."""
