"""What a run leaves behind: the metric catalogue, results, tables, charts and reports."""
