"""Great Expectations suites generated from the reference data, their runner and reports."""
