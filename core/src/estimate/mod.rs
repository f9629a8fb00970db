//! Resource estimation: what scaling a winner needs and costs.
//!
//! * [`cost_totals`]: exact one-time and monthly totals of line items (`Decimal`, half-even per line).
//! * [`erlang_c`], [`min_servers`]: M/M/c queueing by the Erlang-B recursion.
//! * [`usl_fit`]: the Universal Scalability Law fitted to load-test points.
//! * [`hpa_desired_replicas`]: the Kubernetes HPA replica rule with Kubernetes' semantics.

mod autoscale;
mod queueing;
mod totals;
mod usl;

pub use autoscale::{HpaRecommendation, Pod, PodState, hpa_desired_replicas};
pub use queueing::{ErlangC, MAX_SERVERS, ServerCriterion, erlang_c, min_servers};
pub use totals::{CostKind, CostTotals, LineItem, LineTotal, cost_totals};
pub use usl::{UslFit, usl_fit};
