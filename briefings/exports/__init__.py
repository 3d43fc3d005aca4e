"""Situation data for analysts outside chat: HXL-tagged CSV, ACLED- and UCDP-shaped tables (see docs/exports.md)."""
