"""Process Order: the workflow's capture / ship / compensate steps for one order."""
