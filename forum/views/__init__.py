"""Forum views, one module per noun."""
