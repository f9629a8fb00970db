//! A Python object as the rollout service's deployer: any object with the `Deployer` protocol's methods
//! (`apply(rollout_id, target, traffic_pct, now)`, `actual(rollout_id, target)`, `rollback(rollout_id,
//! targets, now)`, an optional `name`), plain or `async def`. Conversion only: a raised exception or an
//! answer of the wrong shape is the core's `deploy` error (the service records and retries it), and the
//! answers are read by the core's `PlatformAnswer`.

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use scaleplan::deploy::{Deployer, PlatformAnswer};
use scaleplan::rollout::{Pct, Timestamp};

pub(crate) struct PyDeployer {
    obj: Py<PyAny>,
    name: String,
}

impl PyDeployer {
    pub(crate) fn new(obj: &Bound<'_, PyAny>) -> Self {
        let name = obj
            .getattr("name")
            .ok()
            .and_then(|n| n.extract::<String>().ok())
            .or_else(|| obj.get_type().name().ok().map(|n| n.to_string()))
            .unwrap_or_else(|| "deployer".into());
        PyDeployer {
            obj: obj.clone().unbind(),
            name,
        }
    }

    fn call<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        args: Bound<'py, PyTuple>,
    ) -> scaleplan::Result<serde_json::Value> {
        let fail = |e: PyErr| scaleplan::Error::Deploy {
            message: format!("{method} raised {e}"),
        };
        let mut v = self.obj.bind(py).call_method1(method, args).map_err(fail)?;
        if v.hasattr("__await__").unwrap_or(false) {
            let run = py
                .import("scaleplan")
                .and_then(|m| m.getattr("_await"))
                .map_err(fail)?;
            v = run.call1((v,)).map_err(fail)?;
        }
        let mut path = format!("{}.{method}()", self.name);
        crate::convert::json_value(py, &v, &mut path).map_err(|e| scaleplan::Error::Deploy {
            message: format!(
                "{}.{method} answered something that is not JSON: {e}",
                self.name
            ),
        })
    }
}

impl Deployer for PyDeployer {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn apply(
        &self,
        rollout_id: &str,
        target: &str,
        traffic: Pct,
        now: Timestamp,
    ) -> scaleplan::Result<()> {
        Python::attach(|py| {
            let args = (rollout_id, target, traffic.as_f64(), now.to_string())
                .into_pyobject(py)
                .map_err(|e| deploy(&self.name, e))?;
            self.call(py, "apply", args).map(|_| ())
        })
    }

    fn actual(&self, rollout_id: &str, target: &str) -> scaleplan::Result<Option<Pct>> {
        Python::attach(|py| {
            let args = (rollout_id, target)
                .into_pyobject(py)
                .map_err(|e| deploy(&self.name, e))?;
            let v = self.call(py, "actual", args)?;
            PlatformAnswer::traffic(&self.name, &v)
        })
    }

    fn rollback(
        &self,
        rollout_id: &str,
        targets: &[String],
        now: Timestamp,
    ) -> scaleplan::Result<Option<Timestamp>> {
        Python::attach(|py| {
            let args = (rollout_id, targets.to_vec(), now.to_string())
                .into_pyobject(py)
                .map_err(|e| deploy(&self.name, e))?;
            let v = self.call(py, "rollback", args)?;
            PlatformAnswer::confirmation(&self.name, &v)
        })
    }
}

fn deploy(_name: &str, e: PyErr) -> scaleplan::Error {
    scaleplan::Error::Deploy {
        message: e.to_string(),
    }
}
