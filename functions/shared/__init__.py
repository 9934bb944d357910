"""Code shared by the Lambda functions; the deploy tool copies this package into each function's zip."""
