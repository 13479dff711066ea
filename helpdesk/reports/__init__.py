"""Reports of the service centre: volumes, delays, backlog, satisfaction, agents."""
