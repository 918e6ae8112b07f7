"""The case state machine, in one place: each action's typed facts, its effect and its row of
the table (spec, petition, handling), and the one `transition` that applies them (machine)."""

from .handling import Dispose, Extend, RecordDecision, RecordOutcome, Resume, SendToTrial, TrialOpinion
from .machine import allowed_actions, apply_step, refusal, state_refusal, transition
from .petition import (
    Accept,
    Assign,
    Conclude,
    Feedback,
    Merge,
    Notify,
    Reject,
    Reopen,
    Return,
    SendUp,
    Start,
    ToLead,
)
from .spec import ACTIONS, ASSIGN_ROLES, Action, Facts

__all__ = [
    "ACTIONS", "ASSIGN_ROLES", "Accept", "Action", "Assign", "Conclude", "Dispose", "Extend", "Facts", "Feedback",
    "Merge", "Notify", "RecordDecision", "RecordOutcome", "Reject", "Reopen", "Resume", "Return", "SendToTrial",
    "SendUp", "Start", "ToLead", "TrialOpinion", "allowed_actions", "apply_step", "refusal", "state_refusal",
    "transition",
]  # fmt: skip
