"""Open data out of the warehouse: file exports, the data dictionary, input templates."""
