"""The moto internals of the layers that check and complete API Gateway, SQS, DynamoDB and SNS requests and answers
as AWS's (issue 13), part of `moto_internals_list.INTERNALS`: kept apart so each list stays readable.
"""

from __future__ import annotations

from localcloud.moto_internal import Internal

_LAMBDA = "moto.awslambda.models"

SERVICE_INTERNALS: tuple[Internal, ...] = (
    # apigateway_api: AWS's NotFoundException for each missing part of a REST API.
    Internal("moto.apigateway.models:APIGatewayBackend.get_rest_api", "apigateway_api", params=("self", "function_id")),
    Internal(
        "moto.apigateway.models:APIGatewayBackend.get_integration_response",
        "apigateway_api",
        params=("self", "function_id", "resource_id", "method_type", "status_code"),
    ),
    *(
        Internal(f"moto.apigateway.models:APIGatewayBackend.{name}", "apigateway_api", params=("self", *args))
        for name, args in (
            ("get_resource", ("function_id", "resource_id")),
            ("get_integration", ("function_id", "resource_id", "method_type")),
            ("get_vpc_link", ("vpc_link_id",)),
        )
    ),
    *(
        Internal(f"moto.apigateway.models:RestAPI.{name}", "apigateway_api", params=("self", *args))
        for name, args in (
            ("get_request_validator", ("validator_id",)),
            ("delete_request_validator", ("validator_id",)),
        )
    ),
    Internal("moto.apigateway.models:APIGatewayBackend.__init__", "apigateway_api", names=("apis", "vpc_links")),
    Internal("moto.apigateway.models:RestAPI.__init__", "apigateway_api", names=("resources", "request_validators")),
    Internal(
        "moto.apigateway.models:RestAPI.to_dict",
        "apigateway_api",
        params=("self",),
        text=("PROP_ENDPOINT_CONFIGURATION",),
    ),
    Internal("moto.apigateway.models:Resource", "apigateway_api", attrs=("get_integration", "get_method")),
    Internal("moto.apigateway.models:RequestValidator.to_dict", "apigateway_api", params=("self",)),
    *(
        Internal(f"moto.apigateway.models:{name}.to_json", "apigateway_api", params=("self",))
        for name in ("Method", "Integration", "IntegrationResponse", "MethodResponse", "Stage", "VpcLink")
    ),
    Internal("moto.apigateway.models:Method.__init__", "apigateway_api", names=("authorization_type",)),
    Internal("moto.apigateway.models:IntegrationResponse.__init__", "apigateway_api", names=("selection_pattern",)),
    # apigateway_requests: requests answered on moto's own objects, read and written by their fields.
    Internal("moto.core.routing:get_service_router", "apigateway_requests", params=("service_name",)),
    # apigateway_parts: methods, responses, integrations and models patched on moto's objects.
    Internal(
        "moto.apigateway.models:APIGatewayBackend.put_integration",
        "apigateway_parts",
        params=(
            "self",
            "function_id",
            "resource_id",
            "method_type",
            "integration_type",
            "uri",
            "integration_method",
            "...",
        ),
        has_params=("credentials", "request_templates", "passthrough_behavior", "tls_config", "cache_namespace"),
    ),
    Internal(
        "moto.apigateway.models:Integration.__init__",
        "apigateway_parts",
        names=("uri", "http_method", "passthrough_behaviour", "timeout_in_millis", "request_templates"),
    ),
    Internal(
        "moto.apigateway.models:Integration.__init__",
        "apigateway_parts",
        names=("request_parameters", "content_handling", "cache_namespace", "cache_key_parameters"),
    ),
    Internal(
        "moto.apigateway.models:Method.__init__",
        "apigateway_parts",
        names=("api_key_required", "request_parameters", "request_models", "operation_name", "request_validator_id"),
    ),
    Internal("moto.apigateway.models:Method", "apigateway_parts", attrs=("get_response",)),
    Internal("moto.apigateway.models:Resource", "apigateway_parts", attrs=("get_path",)),
    Internal("moto.apigateway.models:RestAPI", "apigateway_parts", attrs=("add_model",)),
    Internal("moto.apigateway.models:RestAPI.__init__", "apigateway_parts", names=("models", "authorizers")),
    Internal("moto.apigateway.models:Model.__init__", "apigateway_parts", names=("schema", "description")),
    # apigateway_gateway_responses: the responses put, kept by moto; the defaults made at each read.
    Internal(
        "moto.apigateway.models:GatewayResponse.__init__",
        "apigateway_gateway_responses",
        params=("self", "response_type", "status_code", "response_parameters", "response_templates"),
        names=("default_response",),
    ),
    Internal(
        "moto.apigateway.models:RestAPI.put_gateway_response",
        "apigateway_gateway_responses",
        params=("self", "response_type", "status_code", "response_parameters", "response_templates"),
    ),
    Internal("moto.apigateway.models:RestAPI.__init__", "apigateway_gateway_responses", names=("gateway_responses",)),
    # apigateway_stages: stages, VPC links and authorizers, through the backend's own calls.
    Internal(
        "moto.apigateway.models:APIGatewayBackend.get_stages", "apigateway_stages", params=("self", "function_id")
    ),
    Internal(
        "moto.apigateway.models:APIGatewayBackend.get_stage",
        "apigateway_stages",
        params=("self", "function_id", "stage_name"),
    ),
    Internal("moto.apigateway.models:Stage", "apigateway_stages", attrs=("apply_operations",)),
    Internal(
        "moto.apigateway.models:Stage.__init__", "apigateway_stages", names=("access_log_settings", "deployment_id")
    ),
    Internal(
        "moto.apigateway.models:APIGatewayBackend.create_vpc_link",
        "apigateway_stages",
        params=("self", "name", "description", "target_arns", "tags"),
    ),
    Internal("moto.apigateway.models:VpcLink.__init__", "apigateway_stages", names=("name", "description", "tags")),
    # apigateway_documentation: parts kept on the RestAPI; imports through moto's import_rest_api.
    Internal(
        "moto.apigateway.models:APIGatewayBackend.import_rest_api",
        "apigateway_documentation",
        params=("self", "api_doc", "fail_on_warnings"),
    ),
    Internal("moto.apigateway.utils:create_id", "apigateway_documentation", params=()),
    Internal(
        "moto.apigateway.models:APIGatewayBackend.create_rest_api",
        "apigateway_requests",
        params=("self", "name", "description", "api_key_source", "endpoint_configuration", "tags", "policy", "..."),
        has_params=("minimum_compression_size", "disable_execute_api_endpoint"),
    ),
    Internal(
        "moto.apigateway.models:RestAPI.__init__",
        "apigateway_requests",
        names=(
            "version",
            "binaryMediaTypes",
            "endpoint_configuration",
            "minimum_compression_size",
            "api_key_source",
            "disableExecuteApiEndpoint",
            "tags",
        ),
    ),
    Internal("moto.apigateway.models:Resource.__init__", "apigateway_requests", names=("parent_id", "path_part")),
    Internal(
        "moto.apigateway.models:RequestValidator.__init__",
        "apigateway_requests",
        names=("name", "validate_request_body", "validate_request_parameters"),
    ),
    # event_source_mapping: mappings are taken off moto's queue and polled.
    Internal(f"{_LAMBDA}:LambdaBackend.create_event_source_mapping", "event_source_mapping", params=("self", "spec")),
    Internal(f"{_LAMBDA}:LambdaBackend.get_event_source_mapping", "event_source_mapping", params=("self", "uuid")),
    Internal(
        "moto.sqs.models:SQSBackend.receive_message",
        "event_source_mapping",
        params=("self", "queue_name", "count", "wait_seconds_timeout", "visibility_timeout", "..."),
    ),
    Internal("moto.sqs.models:Queue.__init__", "event_source_mapping", text=("self.lambda_event_source_mappings",)),
    # sqs: each queue's operations under the queue's own lock, the re-entrant Condition moto's long poll waits on.
    Internal("moto.sqs.models:Queue.__init__", "sqs", text=("self._messages_lock = Condition()",)),
    Internal("moto.sqs.models:Queue.wait_for_messages", "sqs", text=("with self._messages_lock:",)),
    Internal("moto.sqs.models:SQSBackend.delete_message", "sqs", params=("self", "queue_name", "receipt_handle")),
    Internal(
        "moto.sqs.models:SQSBackend.change_message_visibility",
        "sqs",
        params=("self", "queue_name", "receipt_handle", "visibility_timeout"),
    ),
    Internal("moto.sqs.models:SQSBackend.purge_queue", "sqs", params=("self", "queue_name")),
    # sqs_api: queue-URL requests routed to SQS, then checked before moto's action runs.
    Internal(
        "moto.moto_server.werkzeug_app:DomainDispatcherApplication.infer_service_region_host",
        "sqs_api",
        params=("self", "environ", "path"),
    ),
    Internal("moto.moto_server.werkzeug_app:DomainDispatcherApplication", "sqs_api", attrs=("_get_body",)),
    Internal("moto.sqs.responses:SQSResponse.get_region_from_url", "sqs_api", params=("self", "request", "full_url")),
    Internal(
        "moto.sqs.responses:SQSResponse._dispatch",
        "sqs_api",
        params=("self", "request", "full_url", "headers"),
        text=("self.setup_class(request, full_url, headers)", "return self.call_action()"),
    ),
    Internal(
        "moto.sqs.responses:SQSResponse",
        "sqs_api",
        attrs=("setup_class", "call_action", "serialized", "_enrich_response", "_get_queue_name", "sqs_backend"),
    ),
    Internal("moto.sqs.models:Queue.__init__", "sqs_api", names=("fifo_queue",), text=("MaximumMessageSize",)),
    Internal("moto.sqs.models:Message.validate_attribute_name", "sqs_api", params=("name",)),
    Internal("moto.sqs.models:SQSBackend.send_message_batch", "sqs_api", params=("self", "queue_name", "entries")),
    Internal("moto.sqs.models:Message", "sqs_api", text=("self.validate_attribute_name(attrName)",)),
    Internal("moto.sqs.models:Queue.__init__", "sqs_api", names=("_messages", "deleted_messages")),
    Internal("moto.sqs.models:Message", "sqs_api", attrs=("had_receipt_handle",)),
    # sqs_answers: moto's SQS answers (an ActionResult's dict), completed or trimmed.
    Internal("moto.sqs.responses:SQSResponse.send_message", "sqs_answers", params=("self",)),
    Internal("moto.sqs.responses:SQSResponse.send_message_batch", "sqs_answers", params=("self",), text=('"Failed"',)),
    Internal(
        "moto.sqs.responses:SQSResponse.receive_message",
        "sqs_answers",
        params=("self",),
        text=('self._get_param("AttributeNames"', '"MessageId": message.id'),
    ),
    Internal("moto.sqs.responses:SQSResponse.list_queue_tags", "sqs_answers", params=("self",), text=('"Tags"',)),
    Internal(
        "moto.sqs.responses:SQSResponse.send_message",
        "sqs_answers",
        text=('self._get_param("MessageSystemAttributes")', "system_attributes=system_message_attributes"),
    ),
    Internal("moto.core.responses:ActionResult", "sqs_answers", attrs=("result",)),
    Internal(
        "moto.sqs.models:_filter_message_attributes", "sqs_answers", params=("message", "input_message_attributes")
    ),
    Internal(
        "moto.sqs.models:SQSBackend.add_permission",
        "sqs_answers",
        params=("self", "region_name", "queue_name", "..."),
        text=('queue._policy_json["Statement"].append',),
    ),
    Internal("moto.sqs.models:SQSBackend.remove_permission", "sqs_answers", params=("self", "queue_name", "label")),
    Internal("moto.sqs.models:Queue.__init__", "sqs_answers", names=("_messages", "_messages_lock")),
    Internal("moto.sqs.models:Message.__init__", "sqs_answers", names=("id", "system_attributes")),
    Internal("moto.sqs.models:Message", "sqs_answers", attrs=("attribute_md5",)),
    # dynamodb_responses: moto's answer, trimmed, its CRC computed again.
    Internal("moto.dynamodb.responses:DynamoHandler.call_action", "dynamodb_responses", params=("self",)),
    Internal("moto.utilities.aws_headers:gen_amz_crc32", "dynamodb_responses", params=("response", "headerdict")),
    Internal("moto.dynamodb.responses:DynamoHandler", "dynamodb_responses", attrs=("_get_action",)),
    # dynamodb_api: PartiQL number literals, checks before moto's action, operations moto lacks.
    Internal(
        "py_partiql_parser._internal.update_parser:UpdateParser.parse",
        "dynamodb_api",
        params=("self", "query"),
        text=("serializer.serialize(attr_value)", "assert quote_type in"),
    ),
    Internal("moto.dynamodb.responses:DynamoHandler.execute_statement", "dynamodb_api", params=("self",)),
    Internal("moto.dynamodb.responses:DynamoHandler.delete_table", "dynamodb_api", params=("self",)),
    Internal(
        "moto.dynamodb.responses:DynamoHandler.batch_write_item",
        "dynamodb_api",
        params=("self",),
        text=("for table_name, item in put_requests:", '"UnprocessedItems": {}'),
    ),
    Internal("moto.dynamodb.responses:DynamoHandler", "dynamodb_api", attrs=("_contains_duplicates", "serialized")),
    Internal("moto.dynamodb.responses:validate_put_has_empty_keys", "dynamodb_api", has_params=("custom_error_msg",)),
    Internal("moto.dynamodb.models.utilities:dynamo_json_dump", "dynamodb_api", params=("dynamo_object",)),
    Internal(
        "moto.dynamodb.responses:DynamoHandler._validate_table_creation",
        "dynamodb_api",
        params=("self", "billing_mode", "throughput", "..."),
    ),
    Internal(
        "moto.dynamodb.responses:DynamoHandler._dispatch",
        "dynamodb_api",
        params=("self", "request", "full_url", "headers"),
        text=("self.setup_class(request, full_url, headers)", "return self.call_action()"),
    ),
    Internal("moto.core.responses:BaseResponse.call_action", "dynamodb_api", text=("raise NotImplementedError",)),
    Internal(
        "moto.dynamodb.models.table:Table._get_default_encryption_key",
        "dynamodb_api",
        params=("self", "account_id", "region"),
        text=('ddb_alias = "alias/aws/dynamodb"',),
    ),
    Internal("moto.kms.models:KmsBackend.__init__", "dynamodb_api", text=("self.keys",)),
    Internal("moto.kms.models:Key.__init__", "dynamodb_api", names=("description", "key_manager")),
    # dynamodb_streams: stream records as written, shards as listed.
    Internal(
        "moto.dynamodb.models.table:StreamShard.add",
        "dynamodb_streams",
        params=("self", "old", "new"),
        text=("self.items.append(StreamRecord(",),
    ),
    Internal("moto.dynamodb.models.table:StreamRecord.__init__", "dynamodb_streams", names=("record",)),
    Internal("moto.dynamodb.models.table:Table.__init__", "dynamodb_streams", names=("region_name",)),
    Internal(
        "moto.dynamodbstreams.responses:DynamoDBStreamsHandler.describe_stream",
        "dynamodb_streams",
        params=("self",),
        text=('{"StreamDescription": stream}',),
    ),
    # dynamodb_kinesis: destinations kept on moto's table; Kinesis streams on demand without a shard count.
    Internal(
        "moto.kinesis.models:KinesisBackend.create_stream",
        "dynamodb_kinesis",
        params=("self", "stream_name", "shard_count", "stream_mode", "..."),
    ),
    Internal("moto.kinesis.models:Stream.__init__", "dynamodb_kinesis", text=('"ON_DEMAND"',)),
    Internal("moto.dynamodb.models.table:Table.__init__", "dynamodb_kinesis", names=("created_at", "table_arn")),
    # dynamodb_units: each operation wrapped; items looked up in the table by key, its global indexes' projections.
    *(
        Internal(f"moto.dynamodb.responses:DynamoHandler.{name}", "dynamodb_units", params=("self",))
        for name in (
            "get_item",
            "batch_get_item",
            "query",
            "scan",
            "transact_get_items",
            "put_item",
            "update_item",
            "delete_item",
            "transact_write_items",
        )
    ),
    Internal(
        "moto.dynamodb.models.table:Table.get_item",
        "dynamodb_units",
        params=("self", "hash_key", "range_key", "projection_expression"),
    ),
    Internal(
        "moto.dynamodb.models.table:Table.__init__",
        "dynamodb_units",
        names=("hash_key_attr", "range_key_attr", "global_indexes"),
    ),
    Internal("moto.dynamodb.models.table:SecondaryIndex.__init__", "dynamodb_units", names=("schema", "projection")),
    Internal("moto.dynamodb.models.dynamo_type:Item.__init__", "dynamodb_units", names=("attrs",)),
    Internal("moto.dynamodb.models.dynamo_type:DynamoType.__init__", "dynamodb_units", names=("type", "value")),
    Internal("moto.dynamodb.models:DynamoDBBackend.__init__", "dynamodb_kinesis", names=("tables",)),
    Internal("moto.kinesis.models:KinesisBackend.__init__", "dynamodb_kinesis", names=("streams",)),
    Internal("moto.dynamodb.models.utilities:dynamo_json_dump", "dynamodb_kinesis", params=("dynamo_object",)),
    Internal(
        "moto.kinesis.models:Stream.put_record",
        "dynamodb_kinesis",
        params=("self", "partition_key", "explicit_hash_key", "data"),
    ),
    Internal(
        "moto.dynamodb.models.table:StreamRecord.__init__",
        "dynamodb_kinesis",
        text=('"ApproximateCreationDateTime": utcnow()', '"eventID"', '"Keys": keys'),
    ),
    # sns_api: SNS requests checked before moto's action runs.
    Internal(
        "moto.sns.responses:SNSResponse._dispatch",
        "sns_api",
        params=("self", "request", "full_url", "headers"),
        text=("self.setup_class(request, full_url, headers)", "return self.call_action()"),
    ),
    Internal(
        "moto.sns.responses:SNSResponse", "sns_api", attrs=("setup_class", "call_action", "serialized", "backend")
    ),
    Internal(
        "moto.sns.models:Topic.__init__",
        "sns_api",
        names=(
            "fifo_topic",
            "content_based_deduplication",
            "display_name",
            "subscriptions_pending",
            "subscriptions_confimed",
            "subscriptions_deleted",
            "effective_delivery_policy",
        ),
        text=("json.dumps(DEFAULT_EFFECTIVE_DELIVERY_POLICY)",),
    ),
    Internal("moto.sns.models:Topic", "sns_api", attrs=("policy",)),
    Internal("moto.sns.models:DEFAULT_EFFECTIVE_DELIVERY_POLICY", "sns_api", probe=lambda d: isinstance(d, dict)),
    Internal("moto.sns.models:VALID_POLICY_ACTIONS", "sns_api", probe=lambda v: "Publish" in v),
    Internal(
        "moto.sns.responses:SNSResponse.get_topic_attributes",
        "sns_api",
        params=("self",),
        text=("self.backend.get_topic(topic_arn)",),
    ),
    Internal(
        "moto.sns.models:SNSBackend.set_topic_attribute",
        "sns_api",
        text=("setattr(topic, attribute_name, attribute_value)",),
    ),
    Internal("moto.sns.models:SNSBackend", "sns_api", attrs=("list_tags_for_resource",)),
    Internal(
        "moto.sns.models:Subscription.get_post_data",
        "sns_api",
        params=("self", "message", "message_id", "subject", "..."),
        text=(
            '"SignatureVersion": signature_version',
            '"Signature": ',
            '"SigningCertURL": f"https://sns.{region}.amazonaws.com/{key_name}"',
            "default_sns_backend._message_public_keys[key_name]",
            '"UnsubscribeURL": ',
        ),
    ),
    Internal("moto.sns.models:Subscription", "sns_api", attrs=("private_key",)),
    Internal("moto.sns.models:SNSBackend.__init__", "sns_api", names=("_message_public_keys", "platform_endpoints")),
    Internal("moto.sns.models:SNSBackend.get_subscription_attributes", "sns_api", params=("self", "arn")),
    Internal(
        "moto.sns.models:SNSBackend._find_subscription", "sns_api", params=("self", "topic_arn", "endpoint", "protocol")
    ),
    Internal("moto.sns.models:Subscription.__init__", "sns_api", names=("attributes",)),
    # sns_subscriptions: http(s) subscriptions pending until confirmed; listings paged with a base64 token.
    Internal(
        "moto.sns.responses:SNSResponse.subscribe",
        "sns_subscriptions",
        params=("self",),
        text=('result = {"SubscriptionArn": subscription.arn}',),
    ),
    Internal("moto.sns.responses:SNSResponse.confirm_subscription", "sns_subscriptions", params=("self",)),
    Internal(
        "moto.sns.responses:SNSResponse.list_subscriptions",
        "sns_subscriptions",
        params=("self",),
        text=("self.backend.list_subscriptions(",),
    ),
    Internal(
        "moto.sns.responses:SNSResponse.list_subscriptions_by_topic",
        "sns_subscriptions",
        params=("self",),
        text=("self.backend.list_subscriptions_by_topic(",),
    ),
    Internal("moto.sns.models:SNSBackend.list_subscriptions", "sns_subscriptions", params=("self", "next_token")),
    Internal(
        "moto.sns.models:SNSBackend.list_subscriptions_by_topic",
        "sns_subscriptions",
        params=("self", "topic_arn", "next_token"),
    ),
    Internal("moto.sns.models:Subscription.__init__", "sns_subscriptions", names=("confirmed", "owner", "attributes")),
    # sns_sqs: SNS to SQS delivered as AWS does; FIFO topics' sequence numbers in the Publish answers.
    Internal(
        "moto.sns.responses:SNSResponse.publish",
        "sns_sqs",
        params=("self",),
        text=('result = {"MessageId": message_id}',),
    ),
    Internal(
        "moto.sns.responses:SNSResponse.publish_batch",
        "sns_sqs",
        params=("self",),
        text=('result = {"Successful": successful, "Failed": failed}',),
    ),
    Internal(
        "moto.sns.models:SNSBackend.publish_batch", "sns_sqs", text=('{"MessageId": message_id, "Id": entry["Id"]}',)
    ),
    Internal(
        "moto.sqs.models:SQSBackend.send_message",
        "sns_sqs",
        has_params=("message_attributes", "deduplication_id", "group_id", "system_attributes", "validate_group_id"),
    ),
    Internal("moto.sqs.responses:SQSResponse.receive_message", "sns_sqs", text=('"AWSTraceHeader"',)),
    # sqs_fifo: in flight means invisible; deduplication ids remembered for five minutes.
    Internal("moto.sqs.models:Queue.pending_messages", "sqs_fifo", probe=lambda p: isinstance(p, property)),
    Internal("moto.sqs.models:Queue.pending_message_groups", "sqs_fifo", probe=lambda p: isinstance(p, property)),
    Internal(
        "moto.sqs.models:Queue.__init__", "sqs_fifo", names=("_pending_messages", "_messages_lock", "last_purged_at")
    ),
    Internal("moto.sqs.models:SQSBackend.purge_queue", "sqs_fifo", text=("queue.last_purged_at = now",)),
    Internal("moto.sqs.models:Queue.messages", "sqs_fifo", probe=lambda p: isinstance(p, property)),
    Internal("moto.sqs.models:Queue.add_message", "sqs_fifo", params=("self", "message")),
    Internal("moto.sqs.models:Message.__init__", "sqs_fifo", names=("sequence_number", "approximate_receive_count")),
    Internal("moto.sqs.models:Message", "sqs_fifo", attrs=("visible",)),
    Internal("moto.sqs.models:Message.__init__", "sqs_fifo", names=("group_id", "deduplication_id")),
    # sqs_fifo: groups; moto's receive walk takes what `messages` offers, marking each message it takes.
    Internal(
        "moto.sqs.models:SQSBackend.receive_message",
        "sqs_fifo",
        text=("for message in queue.messages:", "message.mark_received(visibility_timeout=visibility_timeout)"),
    ),
    Internal(
        "moto.sqs.models:Queue.approximate_number_of_messages", "sqs_fifo", probe=lambda p: isinstance(p, property)
    ),
    Internal("moto.sqs.models:Queue.delete_message", "sqs_fifo", params=("self", "receipt_handle")),
    Internal("moto.sqs.models:Message.mark_received", "sqs_fifo", params=("self", "visibility_timeout")),
    Internal(
        "moto.sqs.models:Queue._set_attributes", "sqs_fifo", text=("setattr(self, camelcase_to_underscores(key)",)
    ),
    Internal("moto.sqs.models:Queue.__init__", "sqs_fifo", names=("deleted_messages", "queue_arn")),
    Internal("moto.sqs.models:Message", "sqs_fifo", attrs=("had_receipt_handle", "delay")),
    Internal("moto.sqs.models:Message.__init__", "sqs_fifo", names=("system_attributes", "sent_timestamp")),
)
