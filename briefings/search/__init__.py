"""Search over everything a situation records: an in-memory ranked index kept current as revisions arrive."""
