//! Errors: every core error becomes a JS `Error` whose `code` is the core's stable code.

/// The `code` of a thrown JS error.
pub struct Code(pub &'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

/// A napi result whose error carries a [`Code`].
pub type JsResult<T> = napi::Result<T, Code>;

/// The same, under the name the `#[napi]` macro recognises as a fallible return.
pub type Result<T> = JsResult<T>;

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs one core call; a panic becomes an `Error` with code `internal` instead of aborting Node.
pub(crate) fn guard<T>(f: impl FnOnce() -> scaleplan::Result<T>) -> JsResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(|e| napi::Error::new(Code(e.code()), e.to_string())),
        Err(p) => Err(napi::Error::new(Code("internal"), panic_message(&*p))),
    }
}
