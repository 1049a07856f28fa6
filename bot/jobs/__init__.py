"""A job's life, split by capability: ``runner`` (accept, queue, run, cancel, recover),
``pipeline`` (the API calls, no Discord), ``delivery`` (everything shown on Discord), ``leases``
(which process holds a job, and taking over those of stopped processes)."""

from bot.jobs.delivery import Delivery, check_channel_permissions
from bot.jobs.pipeline import Answer, Pipeline, PipelineSlot, PollPolicy
from bot.jobs.progress import Progress
from bot.jobs.runner import JobRunner

__all__ = [
    "Answer",
    "Delivery",
    "JobRunner",
    "Pipeline",
    "PipelineSlot",
    "PollPolicy",
    "Progress",
    "check_channel_permissions",
]
