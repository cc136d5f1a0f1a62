//! Words the app, the hub and the CLI say alike.

/// "1 seat", "3 seats", "0 seats": a number and its noun, singular only for one.
pub fn count(number: impl TryInto<i64> + std::fmt::Display + Copy, one: &str, many: &str) -> String {
    let singular = number.try_into().is_ok_and(|number: i64| number == 1);
    format!("{number} {}", if singular { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(1, "seat", "seats"), "1 seat");
        assert_eq!(count(0, "seat", "seats"), "0 seats");
        assert_eq!(count(3_u32, "student", "students"), "3 students");
        assert_eq!(count(1_usize, "enrollment", "enrollments"), "1 enrollment");
        assert_eq!(count(u64::MAX, "person", "people"), format!("{} people", u64::MAX));
    }
}
