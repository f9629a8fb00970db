//! Resource estimation: what scaling a winner needs and costs.
//!
//! * [`cost_totals`]: exact one-time and monthly totals of line items (`Decimal`, half-even per line).
//! * [`erlang_c`], [`min_servers`]: M/M/c queueing by the Erlang-B recursion.
//! * [`hpa_desired_replicas`]: the Kubernetes HPA replica rule with Kubernetes' semantics.

mod autoscale;
mod queueing;
mod totals;

pub use autoscale::{HpaRecommendation, Pod, PodState, hpa_desired_replicas};
pub use queueing::{ErlangC, MAX_SERVERS, ServerCriterion, erlang_c, min_servers};
pub use totals::{CostKind, CostTotals, LineItem, LineTotal, cost_totals};
