"""The exercises app's tables, one module per part of the domain (docs/architecture.md).

``library`` (exercises, precaution flags, images) and ``programs`` (conditions, templates,
prescriptions and their revisions) belong to the library side; ``sessions`` and ``reminders``
to the patient portal.
"""

from exercises.models.library import (
    BodyRegion,
    DoseFields,
    Exercise,
    ExerciseImage,
    ExerciseKind,
    Position,
    PrecautionFlag,
    RpeScale,
    Side,
)
from exercises.models.programs import (
    Condition,
    ConditionPrecaution,
    PatientCondition,
    PrecautionAcknowledgement,
    Program,
    ProgramItem,
    ProgramRevision,
    ProgramTemplate,
    TemplateItem,
)
from exercises.models.reminders import ReminderPreference
from exercises.models.sessions import (
    MonitoringSettings,
    MonitorVersion,
    PainFlag,
    ProgramDay,
    SessionItemLog,
    SessionLog,
)

__all__ = [
    "BodyRegion",
    "Condition",
    "ConditionPrecaution",
    "DoseFields",
    "Exercise",
    "ExerciseImage",
    "ExerciseKind",
    "MonitorVersion",
    "MonitoringSettings",
    "PainFlag",
    "PatientCondition",
    "Position",
    "PrecautionAcknowledgement",
    "PrecautionFlag",
    "Program",
    "ProgramDay",
    "ProgramItem",
    "ProgramRevision",
    "ProgramTemplate",
    "ReminderPreference",
    "RpeScale",
    "SessionItemLog",
    "SessionLog",
    "Side",
    "TemplateItem",
]
