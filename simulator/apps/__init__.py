"""The applications: command-line entry points, the classroom dashboard, the ODD generator."""
