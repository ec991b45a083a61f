//! The conversions every validated string type shares (SIDs, `Identity`, `FriendlyName`):
//! parsing through the type's checking `new`, borrowing as `&str`, and giving the string back.

/// Implements `FromStr`, `TryFrom<&str>`, `TryFrom<String>`, `AsRef<str>`, `Display`, `Debug`,
/// `Serialize`
/// (`Name("value")`) and `From<T>`/`From<&T>` for `String` on a `struct T(String)` that has
/// `fn new(impl Into<String>) -> Result<T, InvalidInput>`.
macro_rules! string_newtype {
    ($name:ident) => {
        impl std::str::FromStr for $name {
            type Err = $crate::InvalidInput;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::InvalidInput;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::InvalidInput;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        /// Serializes as the plain string (these are identifiers, never secrets).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl From<&$name> for String {
            fn from(value: &$name) -> String {
                value.0.clone()
            }
        }
    };
}

pub(crate) use string_newtype;
