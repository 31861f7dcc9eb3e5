"""The indicators, one module per area of practice; ``catalogue`` lists them all."""
