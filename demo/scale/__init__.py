"""County-scale fake data for benchmarks (generate_scale_data, generate_scale_volunteering)."""
