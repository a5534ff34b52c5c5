//! When to remind about a deadline counted in working days: at each configured threshold before
//! it (for example 7 and 3 working days), and after it to escalate to the unit's head.

/// Where a task stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// More working days left than the first threshold.
    Later,
    /// Within a threshold: remind (the threshold reached, in working days).
    Remind(u32),
    /// The deadline passed: escalate to the unit's head.
    Overdue,
}

/// The urgency of a task with `days_left` working days before its «trước ngày» deadline
/// (negative or zero once the deadline day has come), for reminder thresholds `thresholds`.
pub fn urgency(days_left: i64, thresholds: &[u32]) -> Urgency {
    if days_left <= 0 {
        return Urgency::Overdue;
    }
    match thresholds.iter().filter(|t| i64::from(**t) >= days_left).min() {
        Some(t) => Urgency::Remind(*t),
        None => Urgency::Later,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_come_at_seven_and_three_working_days() {
        let t = [7, 3];
        assert_eq!(urgency(12, &t), Urgency::Later);
        assert_eq!(urgency(7, &t), Urgency::Remind(7));
        assert_eq!(urgency(5, &t), Urgency::Remind(7));
        assert_eq!(urgency(3, &t), Urgency::Remind(3));
        assert_eq!(urgency(1, &t), Urgency::Remind(3));
    }

    #[test]
    fn after_the_deadline_the_task_is_escalated() {
        assert_eq!(urgency(0, &[7, 3]), Urgency::Overdue);
        assert_eq!(urgency(-4, &[7, 3]), Urgency::Overdue);
        assert_eq!(urgency(2, &[]), Urgency::Later, "no thresholds, no reminder");
    }
}
