//! The one error type of the crate: [`Error`], its family [`ErrorKind`] and a stable [`Error::code`].

use std::fmt;

/// Everything that can go wrong in scaleplan.
///
/// Match on [`Error::kind`] or [`Error::code`], not on messages: the code is the same in Rust, in Python
/// (`err.code`) and in Node (`err.code`), and the kind decides the Python exception class.
///
/// # Example
/// ```
/// use scaleplan::significance::{two_proportions, Proportion, TestOptions};
/// let err = Proportion::new(100, 120).unwrap_err();
/// assert_eq!(err.code(), "conversions_exceed_visitors");
/// assert_eq!(err.to_string(), "arm `arm`: conversions (120) exceed visitors (100)");
/// # let _ = (two_proportions, TestOptions::default());
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A number that must be finite was NaN or infinite.
    #[error("`{field}` must be finite, got {value}")]
    NotFinite {
        /// The offending field, e.g. `control.mean` or `p_values[3]`.
        field: String,
        /// The value received.
        value: f64,
    },
    /// A count, variance or weight that must not be negative was negative.
    #[error("`{field}` must not be negative, got {value}")]
    Negative {
        /// The offending field.
        field: String,
        /// The value received.
        value: f64,
    },
    /// A count passed as a float was not a whole number.
    #[error("`{field}` must be a whole number, got {value}")]
    NotInteger {
        /// The offending field.
        field: String,
        /// The value received.
        value: f64,
    },
    /// More conversions than visitors in one arm.
    #[error("arm `{arm}`: conversions ({conversions}) exceed visitors ({visitors})")]
    ConversionsExceedVisitors {
        /// The arm (`control`, `treatment`, or an index in a batch).
        arm: String,
        /// Conversions received.
        conversions: u64,
        /// Visitors received.
        visitors: u64,
    },
    /// A parameter lies outside its allowed range.
    #[error("`{field}` must be in {allowed}, got {value}")]
    OutOfRange {
        /// The offending field.
        field: String,
        /// The value received.
        value: f64,
        /// The allowed range, e.g. `(0, 1)`.
        allowed: &'static str,
    },
    /// A sample is smaller than the method needs.
    #[error("`{field}` needs at least {min}, got {got}")]
    TooFewObservations {
        /// The offending field.
        field: String,
        /// The smallest accepted number.
        min: u64,
        /// The number received.
        got: u64,
    },
    /// A list or array that must not be empty was empty.
    #[error("`{field}` must not be empty")]
    EmptyInput {
        /// The offending field.
        field: String,
    },
    /// Arrays of a batch call, or lists that go together, differ in length.
    #[error("`{field}` has length {got}, expected {expected}")]
    LengthMismatch {
        /// The offending field.
        field: String,
        /// The length of the first array.
        expected: usize,
        /// The length received.
        got: usize,
    },
    /// Both arms have zero variance, so the test statistic is undefined.
    #[error("{what}: both arms have zero variance, the test is undefined")]
    ZeroVariance {
        /// What was being tested.
        what: String,
    },
    /// A string option is not one of the accepted values.
    #[error("`{field}` must be one of {expected}, got \"{value}\"")]
    UnknownVariant {
        /// The option's name.
        field: String,
        /// The value received.
        value: String,
        /// The accepted values.
        expected: &'static str,
    },
    /// A readiness policy names a metric the experiment does not have.
    #[error("metric `{metric}` is not in the experiment (it has: {available})")]
    UnknownMetric {
        /// The metric named.
        metric: String,
        /// The experiment's metrics, comma separated.
        available: String,
    },
    /// Two metrics, or two arms, share one name.
    #[error("`{field}` names `{name}` twice")]
    DuplicateName {
        /// Where the names live.
        field: String,
        /// The repeated name.
        name: String,
    },
    /// A numerical routine did not converge.
    #[error("{what} did not converge")]
    NoConvergence {
        /// The routine.
        what: String,
    },
    /// An intermediate result overflowed `f64` (inputs too large in magnitude, e.g. means near 1e308).
    #[error("{what} overflowed: the inputs are too large in magnitude for f64 arithmetic")]
    Overflow {
        /// The quantity that overflowed, e.g. `welch: treatment.mean - control.mean`.
        what: String,
    },
    /// A money amount that must not be negative was negative (code `negative`, like [`Error::Negative`]).
    #[error("`{field}` must not be negative, got {value}")]
    NegativeAmount {
        /// The offending field, e.g. `line_items[2].unit_price`.
        field: String,
        /// The amount received, as its exact decimal string.
        value: String,
    },
    /// A money amount that is not a plain decimal number.
    #[error("`{field}` must be a decimal number such as \"160.00\", got \"{text}\"")]
    InvalidDecimal {
        /// The offending field.
        field: String,
        /// The text received.
        text: String,
    },
    /// A currency code that is not in scaleplan's ISO 4217 table.
    #[error("unknown currency \"{code}\" (expected an ISO 4217 code such as USD, EUR, JPY)")]
    UnknownCurrency {
        /// The code received.
        code: String,
    },
    /// Two amounts in different currencies were combined.
    #[error("`{field}` is in {got}, but this computation is in {expected}: convert it first")]
    CurrencyMismatch {
        /// Where the foreign amount came from.
        field: String,
        /// The currency of the computation.
        expected: String,
        /// The currency received.
        got: String,
    },
    /// A price catalog has no resource of that name.
    #[error("unknown {kind} \"{name}\" (the catalog has: {available})")]
    UnknownResource {
        /// The kind of resource: `instance type`, `storage class`, `database tier`, ...
        kind: &'static str,
        /// The name asked for.
        name: String,
        /// The names the catalog has, comma separated.
        available: String,
    },
    /// No configuration of the chosen model can serve the demand (e.g. past the USL peak).
    #[error(
        "{what}: the demand needs {required:.1} but the most this model can deliver is {max:.1}"
    )]
    CapacityUnreachable {
        /// Which model and resource.
        what: String,
        /// The throughput needed.
        required: f64,
        /// The most the model delivers.
        max: f64,
    },
    /// A TOML document could not be read.
    #[error("invalid {what} TOML: {message}")]
    Toml {
        /// The type that was expected.
        what: &'static str,
        /// The parser's message (with its line and column).
        message: String,
    },
    /// A rollout plan breaks a rule (traffic not increasing, negative duration, empty scope, …).
    #[error("invalid plan: `{field}`: {message}")]
    InvalidPlan {
        /// The offending field, e.g. `phases[2].traffic_pct`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A readiness policy breaks a rule (a guardrail margin of 0 that no experiment can pass, …).
    #[error("invalid policy: `{field}`: {message}")]
    InvalidPolicy {
        /// The offending field, e.g. `guardrails[0].max_relative_regression`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A metric window is inconsistent (misaligned, more errors than requests, …).
    #[error("invalid window: `{field}`: {message}")]
    InvalidWindow {
        /// The offending field of the window.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A replay (back-test) input is invalid; `field` is its JSON path.
    #[error("invalid replay: `{field}`: {message}")]
    InvalidReplay {
        /// JSON path of the offending field, e.g. `windows[3].errors`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A command is not allowed in the rollout's state.
    #[error("rollout `{rollout}` is {state}; `{command}` is not allowed")]
    IllegalTransition {
        /// The rollout.
        rollout: String,
        /// Its state.
        state: &'static str,
        /// The command refused.
        command: &'static str,
    },
    /// The rollout changed since the caller read it (optimistic concurrency).
    #[error("rollout `{rollout}` changed: expected version {expected}, found {found}")]
    Conflict {
        /// The rollout.
        rollout: String,
        /// The version the caller expected.
        expected: u64,
        /// The current version.
        found: u64,
    },
    /// Evidence for a window ending at or before the last decided tick.
    #[error("rollout `{rollout}`: evidence ending {window_end} is late (last tick {last_tick})")]
    LateEvidence {
        /// The rollout.
        rollout: String,
        /// End of the late window (or the late tick).
        window_end: String,
        /// The last decided tick.
        last_tick: String,
    },
    /// The actor's role does not allow the command.
    #[error("`{actor}` ({role}) may not {command}: it needs {required} or above")]
    Forbidden {
        /// Who.
        actor: String,
        /// Their role.
        role: &'static str,
        /// The command.
        command: &'static str,
        /// The least role that may.
        required: &'static str,
    },
    /// A resume while a blocking incident is open.
    #[error("rollout `{rollout}`: incident {id} ({severity}) is still open")]
    IncidentStillOpen {
        /// The rollout.
        rollout: String,
        /// The open incident.
        id: String,
        /// Its severity.
        severity: String,
    },
    /// The creator or the starter of a rollout tried to approve it (four eyes).
    #[error("rollout `{rollout}`: `{actor}` created or started it and may not approve it")]
    SelfApprovalForbidden {
        /// The rollout.
        rollout: String,
        /// The actor.
        actor: String,
    },
    /// Another active rollout moves this target.
    #[error(
        "rollout `{rollout}`: target `{target}` is held by active rollout `{holder}` (finish, roll back or abort it first)"
    )]
    TargetHeld {
        /// The rollout refused.
        rollout: String,
        /// The contested target.
        target: String,
        /// The active rollout that holds it.
        holder: String,
    },
    /// An actor id that names no one (blank), or a command without the actor its role check needs.
    #[error("invalid actor `{field}`: {message}")]
    InvalidActor {
        /// Where the actor was given.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// An incident that cannot be: blank id or severity, resolved before it opened.
    #[error("invalid incident `{id}`: {message}")]
    InvalidIncident {
        /// The incident's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// The same approver approved this phase already (an approval counts once).
    #[error("rollout `{rollout}`: `{actor}` already approved phase {target_phase}")]
    AlreadyApproved {
        /// The rollout.
        rollout: String,
        /// The approver.
        actor: String,
        /// The phase.
        target_phase: usize,
    },
    /// A command dated before the rollout began (a pause before its start, an approval before it was
    /// created).
    #[error(
        "rollout `{rollout}`: `{command}` at {at} is dated before the rollout began at {latest}"
    )]
    OutOfOrder {
        /// The rollout.
        rollout: String,
        /// The command.
        command: &'static str,
        /// Its time.
        at: String,
        /// The latest recorded change.
        latest: String,
    },
    /// No rollout has this id.
    #[error("unknown rollout `{id}`")]
    UnknownRollout {
        /// The id asked for.
        id: String,
    },
    /// An approval for another plan revision.
    #[error(
        "rollout `{rollout}`: approval is for plan revision {got}, the plan is at revision {current}"
    )]
    StaleApproval {
        /// The rollout.
        rollout: String,
        /// The plan's revision.
        current: u64,
        /// The revision approved.
        got: u64,
    },
    /// An approval for a phase that is not ahead of the current one.
    #[error("rollout `{rollout}`: target phase {target} must be in {allowed}")]
    InvalidTargetPhase {
        /// The rollout.
        rollout: String,
        /// The phase named.
        target: usize,
        /// The allowed phases, e.g. `(1, 4]`.
        allowed: String,
    },
    /// Starting (or entering a phase) needs an approval that was not given.
    #[error(
        "rollout `{rollout}`: phase {target_phase} needs an approval from someone other than the initiator"
    )]
    ApprovalRequired {
        /// The rollout.
        rollout: String,
        /// The phase that needs it.
        target_phase: usize,
    },
    /// The store failed (I/O, SQLite, corrupt row).
    #[error("store failed: {message}")]
    Storage {
        /// What failed.
        message: String,
    },
    /// The deployer failed to apply a traffic change.
    #[error("deployer failed: {message}")]
    Deploy {
        /// What failed.
        message: String,
    },
    /// Timestamps of a series are not strictly increasing, not finite, or too irregular to place the
    /// points on one grid of periods.
    #[error("`{field}`: {reason}")]
    InvalidTimestamps {
        /// The offending field, e.g. `timestamps[7]`.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A stored detector or tracker state is inconsistent (edited or corrupted JSON).
    #[error("invalid {what} state: {reason}")]
    InvalidState {
        /// The state's type.
        what: &'static str,
        /// What is inconsistent.
        reason: String,
    },
    /// A savings recommendation cannot take this step from its status.
    #[error("recommendation `{id}` is {status}; `{action}` is not allowed")]
    RecommendationTransition {
        /// The recommendation.
        id: String,
        /// Its status.
        status: &'static str,
        /// The step refused.
        action: &'static str,
    },
    /// A calendar date is not `YYYY-MM-DD` or does not exist.
    #[error("`{field}` must be a date YYYY-MM-DD, got \"{value}\"")]
    InvalidDate {
        /// The offending field.
        field: String,
        /// The value received.
        value: String,
    },
    /// A binding was handed a value of a type that no scaleplan input takes (a Python object that is not
    /// a number, a string, a bool, a list or a dict, say).
    #[error("`{field}` must be {expected}, got a value of type `{got}`")]
    WrongType {
        /// Where the value was, e.g. `metrics[0].control.visitors`.
        field: String,
        /// What is accepted there.
        expected: &'static str,
        /// The type received, as the binding's language names it.
        got: String,
    },
    /// A JSON document could not be read as the expected type.
    #[error("invalid {what}{}: {message}", json_position(*line, *column))]
    Json {
        /// The type that was expected.
        what: &'static str,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// serde's message.
        message: String,
    },
}

/// The family of an error. Each binding maps each kind to exactly one exception class.
///
/// This enum is deliberately exhaustive: adding a kind is a breaking change that the compiler walks
/// through in every binding, so no new error silently becomes a generic one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The caller's input is invalid (Python `InvalidInputError`, a `ValueError`).
    InvalidInput,
    /// The input is valid but a numerical routine failed on it (Python `NumericalError`).
    Numerical,
    /// The command is not allowed in the current state (Python `IllegalTransitionError`).
    IllegalTransition,
    /// Someone else changed the state first, or the evidence came too late (Python `ConflictError`).
    Conflict,
    /// The actor may not do this (Python `ForbiddenError`).
    Forbidden,
    /// The named rollout does not exist (Python `NotFoundError`).
    NotFound,
    /// The store or the deployer failed (Python `StorageError`).
    Storage,
}

impl Error {
    /// The family of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NoConvergence { .. } | Error::Overflow { .. } => ErrorKind::Numerical,
            Error::IllegalTransition { .. }
            | Error::IncidentStillOpen { .. }
            | Error::StaleApproval { .. }
            | Error::InvalidTargetPhase { .. }
            | Error::ApprovalRequired { .. }
            | Error::AlreadyApproved { .. }
            | Error::RecommendationTransition { .. } => ErrorKind::IllegalTransition,
            Error::Conflict { .. }
            | Error::LateEvidence { .. }
            | Error::TargetHeld { .. }
            | Error::OutOfOrder { .. } => ErrorKind::Conflict,
            Error::Forbidden { .. } | Error::SelfApprovalForbidden { .. } => ErrorKind::Forbidden,
            Error::UnknownRollout { .. } => ErrorKind::NotFound,
            Error::Storage { .. } | Error::Deploy { .. } => ErrorKind::Storage,
            _ => ErrorKind::InvalidInput,
        }
    }

    /// A stable snake_case identifier, identical in Rust, Python (`err.code`), Node (`err.code`) and JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFinite { .. } => "not_finite",
            Error::Negative { .. } => "negative",
            Error::NotInteger { .. } => "not_integer",
            Error::ConversionsExceedVisitors { .. } => "conversions_exceed_visitors",
            Error::OutOfRange { .. } => "out_of_range",
            Error::TooFewObservations { .. } => "too_few_observations",
            Error::EmptyInput { .. } => "empty_input",
            Error::LengthMismatch { .. } => "length_mismatch",
            Error::ZeroVariance { .. } => "zero_variance",
            Error::UnknownVariant { .. } => "unknown_variant",
            Error::UnknownMetric { .. } => "unknown_metric",
            Error::DuplicateName { .. } => "duplicate_name",
            Error::NoConvergence { .. } => "no_convergence",
            Error::Overflow { .. } => "overflow",
            Error::NegativeAmount { .. } => "negative",
            Error::UnknownCurrency { .. } => "unknown_currency",
            Error::InvalidDecimal { .. } => "invalid_decimal",
            Error::CurrencyMismatch { .. } => "currency_mismatch",
            Error::UnknownResource { .. } => "unknown_resource",
            Error::CapacityUnreachable { .. } => "capacity_unreachable",
            Error::Toml { .. } => "toml",
            Error::InvalidPlan { .. } => "invalid_plan",
            Error::InvalidPolicy { .. } => "invalid_policy",
            Error::InvalidWindow { .. } => "invalid_window",
            Error::InvalidReplay { .. } => "invalid_replay",
            Error::IllegalTransition { .. } => "illegal_transition",
            Error::Conflict { .. } => "conflict",
            Error::LateEvidence { .. } => "late_evidence",
            Error::Forbidden { .. } => "forbidden",
            Error::IncidentStillOpen { .. } => "incident_still_open",
            Error::SelfApprovalForbidden { .. } => "self_approval_forbidden",
            Error::TargetHeld { .. } => "target_held",
            Error::InvalidActor { .. } => "invalid_actor",
            Error::InvalidIncident { .. } => "invalid_incident",
            Error::AlreadyApproved { .. } => "already_approved",
            Error::OutOfOrder { .. } => "out_of_order",
            Error::UnknownRollout { .. } => "unknown_rollout",
            Error::StaleApproval { .. } => "stale_approval",
            Error::InvalidTargetPhase { .. } => "invalid_target_phase",
            Error::ApprovalRequired { .. } => "approval_required",
            Error::Storage { .. } => "storage",
            Error::Deploy { .. } => "deploy",
            Error::Json { .. } => "json",
            Error::WrongType { .. } => "wrong_type",
            Error::InvalidTimestamps { .. } => "invalid_timestamps",
            Error::InvalidState { .. } => "invalid_state",
            Error::RecommendationTransition { .. } => "illegal_transition",
            Error::InvalidDate { .. } => "invalid_date",
        }
    }

    /// Prefixes the field of a field-carrying error, e.g. `visitors` becomes `control.visitors`: used where
    /// an arm is validated on its own and then named by its caller (bindings do this for their arguments).
    ///
    /// # Example
    /// ```
    /// use scaleplan::significance::Proportion;
    /// let e = Proportion::from_f64(-1.0, 0.0).unwrap_err().in_field("control");
    /// assert_eq!(e.to_string(), "`control.visitors` must not be negative, got -1");
    /// ```
    pub fn in_field(self, prefix: &str) -> Self {
        let join = |f: String| {
            if f.starts_with('[') {
                format!("{prefix}{f}")
            } else {
                format!("{prefix}.{f}")
            }
        };
        match self {
            Error::NotFinite { field, value } => Error::NotFinite {
                field: join(field),
                value,
            },
            Error::Negative { field, value } => Error::Negative {
                field: join(field),
                value,
            },
            Error::NotInteger { field, value } => Error::NotInteger {
                field: join(field),
                value,
            },
            Error::OutOfRange {
                field,
                value,
                allowed,
            } => Error::OutOfRange {
                field: join(field),
                value,
                allowed,
            },
            Error::TooFewObservations { field, min, got } => Error::TooFewObservations {
                field: join(field),
                min,
                got,
            },
            Error::NegativeAmount { field, value } => Error::NegativeAmount {
                field: join(field),
                value,
            },
            Error::CurrencyMismatch {
                field,
                expected,
                got,
            } => Error::CurrencyMismatch {
                field: join(field),
                expected,
                got,
            },
            Error::ConversionsExceedVisitors {
                arm,
                conversions,
                visitors,
            } if arm == "arm" => Error::ConversionsExceedVisitors {
                arm: prefix.to_string(),
                conversions,
                visitors,
            },
            other => other,
        }
    }

    /// A [`Error::Json`] error with the name of the argument that held the document, so that a binding's
    /// caller reads which of its arguments was wrong; other errors unchanged.
    ///
    /// ```
    /// let e = scaleplan::json::from_str::<Vec<scaleplan::significance::Proportion>>(r#"[{"visitors": 1}]"#)
    ///     .unwrap_err()
    ///     .in_argument("arms");
    /// assert!(e.to_string().contains("in `arms`, at [0]: missing field `conversions`"), "{e}");
    /// ```
    pub fn in_argument(self, name: &str) -> Self {
        match self {
            Error::Json {
                what,
                line,
                column,
                message,
            } => Error::Json {
                what,
                line,
                column,
                message: format!("in `{name}`, {message}"),
            },
            other => other,
        }
    }

    /// [`Error::in_argument`] for a document the binding wrote itself from its caller's objects (a
    /// Python dict, a JavaScript object): the line and column of that text mean nothing to the caller,
    /// so they are dropped and the message keeps the argument and the path in it.
    ///
    /// ```
    /// let e = scaleplan::json::from_str::<Vec<scaleplan::significance::Proportion>>(r#"[{"visitors": 1}]"#)
    ///     .unwrap_err()
    ///     .in_object_argument("arms");
    /// assert_eq!(e.to_string(), "invalid list: in `arms`, at [0]: missing field `conversions`");
    /// ```
    pub fn in_object_argument(self, name: &str) -> Self {
        match self.in_argument(name) {
            Error::Json { what, message, .. } => Error::Json {
                what,
                line: 0,
                column: 0,
                message,
            },
            other => other,
        }
    }
}

/// ` JSON at line l, column c` where the text had a position (a document the caller wrote).
fn json_position(line: usize, column: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(" JSON at line {line}, column {column}")
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Numerical => "numerical",
            ErrorKind::IllegalTransition => "illegal_transition",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Storage => "storage",
        })
    }
}
