"""Each customer's own subscription to the notifications topic (SNS email), made once, at their first login.

The workflow publishes every notice with a `recipient` message attribute; a customer's subscription has the
filter policy `{"recipient": [their email]}`, so each customer receives only their own orders' mails (staff keep
an unfiltered subscription). On AWS the customer confirms it once, from the first mail. Quotas that bound this
design are in docs/aws.md (200 filter policies per topic by default).
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger

from app_server.models.auth import CustomerRecord

logger = Logger(child=True)


class SnsCustomerNotices:
    def __init__(self, sns: Any, topic_arn: str, customers_table: Any) -> None:
        self.sns = sns
        self.topic_arn = topic_arn
        self.customers = customers_table

    def ensure_subscribed(self, customer: CustomerRecord) -> None:
        """Subscribe the customer's address once; a failure is logged, never a failed login (next login retries)."""
        if customer.notices_subscription:
            return
        try:
            answer = self.sns.subscribe(
                TopicArn=self.topic_arn,
                Protocol="email",
                Endpoint=customer.email,
                Attributes={"FilterPolicy": json.dumps({"recipient": [customer.email]})},
                ReturnSubscriptionArn=True,
            )
            self.customers.update_item(
                Key={"email": customer.email},
                UpdateExpression="SET notices_subscription = :arn",
                ConditionExpression="attribute_not_exists(notices_subscription)",
                ExpressionAttributeValues={":arn": answer["SubscriptionArn"]},
            )
        except Exception as error:
            logger.warning("could not subscribe the customer to notices", extra={"error": str(error)})
