"""CloudWatch: `AWS::CloudWatch::Alarm` from CloudFormation (moto skips the type).

The alarm lands in moto's CloudWatch backend (PutMetricAlarm with the template's properties, metric
math included), so DescribeAlarms answers what the template said. Ref is the alarm's name, GetAtt Arn
its ARN; an update replaces the alarm.
"""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel

from localcloud.cfn_model import CfnModel, Properties


class CloudWatchAlarm(CfnModel, CloudFormationModel):
    """Ref is the alarm's name; an update replaces it."""

    TYPE = "AWS::CloudWatch::Alarm"
    NAME_PROPERTY = "AlarmName"
    ATTRIBUTES = ("Arn",)

    @classmethod
    def create(cls, name: str, props: Properties, account_id: str, region_name: str, **kwargs: Any) -> CloudWatchAlarm:
        from moto.cloudwatch.models import Dimension, Metric, MetricDataQuery, MetricStat, cloudwatch_backends

        queries = None
        if props.get("Metrics"):
            queries = []
            for query in props["Metrics"]:
                stat = query.get("MetricStat")
                metric_stat = None
                if stat:
                    metric = stat["Metric"]
                    dims = [Dimension(d["Name"], d["Value"]) for d in metric.get("Dimensions", [])]
                    metric_stat = MetricStat(
                        metric=Metric(metric["MetricName"], metric.get("Namespace"), dims),
                        period=stat.get("Period"),
                        stat=stat.get("Stat"),
                        unit=stat.get("Unit"),
                    )
                queries.append(
                    MetricDataQuery(
                        query_id=query["Id"],
                        label=query.get("Label"),
                        period=query.get("Period"),
                        return_data=query.get("ReturnData"),
                        expression=query.get("Expression"),
                        metric_stat=metric_stat,
                    )
                )
        alarm = cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=name,
            namespace=props.get("Namespace"),
            metric_name=props.get("MetricName"),
            metric_data_queries=queries,
            comparison_operator=props["ComparisonOperator"],
            evaluation_periods=int(props["EvaluationPeriods"]),
            datapoints_to_alarm=props.get("DatapointsToAlarm"),
            period=props.get("Period"),
            threshold=props.get("Threshold"),
            statistic=props.get("Statistic"),
            extended_statistic=props.get("ExtendedStatistic"),
            description=props.get("AlarmDescription"),
            dimensions=props.get("Dimensions", []),
            alarm_actions=props.get("AlarmActions", []),
            ok_actions=props.get("OKActions", []),
            insufficient_data_actions=props.get("InsufficientDataActions", []),
            unit=props.get("Unit"),
            actions_enabled=str(props.get("ActionsEnabled", True)).lower() == "true",
            treat_missing_data=props.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=props.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=props.get("ThresholdMetricId"),
            tags=props.get("Tags", []),
        )
        return cls(account_id, region_name, name, Arn=alarm.alarm_arn)

    def delete(self, account_id: str, region_name: str) -> None:
        from moto.cloudwatch.models import cloudwatch_backends

        cloudwatch_backends[account_id][region_name].delete_alarms([self.physical_resource_id])
