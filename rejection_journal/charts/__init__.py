"""Figure builders: (domain data, theme) -> matplotlib Figure. No Qt, no pyplot."""
