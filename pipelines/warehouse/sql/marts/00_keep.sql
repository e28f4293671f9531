-- materialized: scalar_macro(v, allowed)
-- true when a filter list is empty (no restriction) or holds v; false for a null v under a filter
array_length(allowed) = 0 or coalesce(list_contains(allowed, v), false)
