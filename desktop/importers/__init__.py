"""Reading appendix tasks from Excel, Word and plan text, and deciding which concern a given department."""
