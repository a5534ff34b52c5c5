//! Statistical disclosure control for the open statistics: a count of 1 to 4 households or
//! citizens could point at a family, so it is not published (primary suppression); and where a
//! total is published together with its parts, one suppressed part could be recovered as the
//! total minus the others — so a second part is suppressed with it (secondary, or complementary,
//! suppression: the smallest other non-zero part).

/// Counts from 1 to this minus one are suppressed.
pub const THRESHOLD: u64 = 5;

/// Whether a count is published on its own (0 is: «nobody» discloses nobody).
pub fn publishable(n: u64) -> bool {
    n == 0 || n >= THRESHOLD
}

/// The parts of a published total, each `None` where suppressed. The total itself follows
/// [`publishable`]; when it is suppressed, every part (each at most the total) is too, unless 0.
pub fn suppress_parts(total: u64, parts: &[u64]) -> Vec<Option<u64>> {
    let mut out: Vec<Option<u64>> = parts.iter().map(|&n| publishable(n).then_some(n)).collect();
    if !publishable(total) {
        return out;
    }
    let hidden = out.iter().filter(|p| p.is_none()).count();
    if hidden == 1 {
        // Total − the others would give it away: hide the smallest other part that is not 0
        // (a 0 reveals nothing more, and hiding it would not protect the first).
        let second = out.iter().enumerate().filter_map(|(i, p)| p.filter(|n| *n > 0).map(|n| (n, i))).min();
        if let Some((_, i)) = second {
            out[i] = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_to_four_are_suppressed_zero_and_five_are_not() {
        assert!(publishable(0) && publishable(5) && publishable(12_345));
        assert!((1..5).all(|n| !publishable(n)));
    }

    #[test]
    fn a_single_suppressed_part_takes_the_smallest_other_with_it() {
        // 3 alone could be recovered as 120 − 40 − 70 − 7 = 3.
        let parts = suppress_parts(120, &[40, 3, 70, 7]);
        assert_eq!(parts, vec![Some(40), None, Some(70), None]);
    }

    #[test]
    fn two_suppressed_parts_already_protect_each_other() {
        assert_eq!(suppress_parts(57, &[50, 3, 4]), vec![Some(50), None, None]);
    }

    #[test]
    fn zeros_are_not_used_as_the_second_cell() {
        assert_eq!(suppress_parts(53, &[0, 3, 50, 0]), vec![Some(0), None, None, Some(0)]);
    }

    #[test]
    fn nothing_suppressed_means_nothing_more_is() {
        assert_eq!(suppress_parts(100, &[40, 60]), vec![Some(40), Some(60)]);
    }

    #[test]
    fn under_a_suppressed_total_the_parts_are_suppressed_on_their_own() {
        assert_eq!(suppress_parts(4, &[0, 4]), vec![Some(0), None]);
    }
}
