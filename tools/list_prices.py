"""The one table of AWS list prices the measured cost figures use (`make bench`, docs/aws.md).

us-east-1, on-demand, without free tiers, as we know them in 2026-11; prices change and differ by Region: check
the AWS pricing pages before quoting a figure computed from these. Each entry is dollars per one unit named
in its key.
"""

from __future__ import annotations

from typing import Final

PRICES: Final[dict[str, float]] = {
    # Step Functions STANDARD: $25.00 per million state transitions.
    "stepfunctions_standard_transition": 25.00 / 1_000_000,
    # Step Functions EXPRESS: $1.00 per million requests (executions started), and duration at $0.00001667 per
    # GB-second (the first 1,000 GB-hours a month; billed in 100 ms steps and 64 MB memory steps).
    "stepfunctions_express_request": 1.00 / 1_000_000,
    "stepfunctions_express_gb_second": 0.00001667,
    # Lambda (x86_64): $0.20 per million requests, $0.0000166667 per GB-second (billed per millisecond).
    "lambda_request": 0.20 / 1_000_000,
    "lambda_gb_second": 0.0000166667,
}
