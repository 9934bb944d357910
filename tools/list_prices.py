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
    # API Gateway REST APIs: $3.50 per million requests (the first 333 million a month).
    "apigateway_rest_request": 3.50 / 1_000_000,
    # DynamoDB on demand (standard table class), since the 2024-11 price cut: $0.125 per million read request
    # units, $0.625 per million write request units.
    "dynamodb_read_request_unit": 0.125 / 1_000_000,
    "dynamodb_write_request_unit": 0.625 / 1_000_000,
    # SQS standard queues: $0.40 per million requests (every API action; each 64 KB chunk of a payload one request).
    "sqs_request": 0.40 / 1_000_000,
    # SNS standard topics: $0.50 per million requests (64 KB chunks); email deliveries $2.00 per 100,000.
    "sns_request": 0.50 / 1_000_000,
    "sns_email_delivery": 2.00 / 100_000,
    # CloudFront (United States, Mexico, Canada; pay as you go): $0.0100 per 10,000 HTTPS requests, $0.085 per GB
    # transferred out to the internet (the first 10 TB a month).
    "cloudfront_https_request": 0.01 / 10_000,
    "cloudfront_gb_out": 0.085,
    # KMS: $0.03 per 10,000 requests. Secrets Manager: $0.05 per 10,000 API calls.
    "kms_request": 0.03 / 10_000,
    "secretsmanager_api_call": 0.05 / 10_000,
}
