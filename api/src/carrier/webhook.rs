//! What the carrier's webhook delivers, parsed from Inteliquent's wire format into the
//! boundary's own types: an inbound message (our numbers as ten digits, the sender in E.164
//! or, for a short code, its digits) or a delivery receipt.

use super::wire::{self, InboundPost};

/// The webhook body's schema, for the API document.
pub use super::wire::InboundPost as WebhookBody;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    Message(InboundMessage),
    Receipt(DeliveryReceipt),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMessage {
    /// The carrier's id of the message: the same when it is delivered again.
    pub reference_id: String,
    /// `+1` and ten digits for a US sender; a short code's digits as sent.
    pub from: String,
    /// Our numbers among the recipients: ten digits each, sorted, once each.
    pub to: Vec<String>,
    pub text: String,
    pub media_urls: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReceipt {
    pub reference_id: String,
}

/// Why a body is not a message or receipt of the carrier's: the field and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotDelivered {
    pub field: &'static str,
    pub problem: String,
}

/// Reads an already-deserialized webhook body.
pub fn read(post: InboundPost) -> Result<Delivered, NotDelivered> {
    let refused = |field, problem: &str| NotDelivered {
        field,
        problem: problem.to_owned(),
    };
    if post.reference_id.trim().is_empty() {
        return Err(refused("referenceId", "must not be empty"));
    }
    if post.delivery_receipt == Some(true) {
        return Ok(Delivered::Receipt(DeliveryReceipt {
            reference_id: post.reference_id,
        }));
    }
    let from = post.from.as_deref().map(str::trim).unwrap_or_default();
    if from.is_empty() {
        return Err(refused("from", "the sender is missing"));
    }
    let mut to: Vec<String> = post.to.iter().filter_map(|t| wire::ten_digits(t)).collect();
    to.sort();
    to.dedup();
    if to.is_empty() {
        return Err(refused("to", "no US number among the recipients"));
    }
    let from = match wire::ten_digits(from) {
        Some(ten) => format!("+1{ten}"),
        None => from.trim_start_matches('+').to_owned(),
    };
    Ok(Delivered::Message(InboundMessage {
        reference_id: post.reference_id,
        from,
        to,
        text: post.text,
        media_urls: post.media_urls,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(json: &str) -> InboundMessage {
        let post: InboundPost = serde_json::from_str(json).expect("a body");
        match read(post) {
            Ok(Delivered::Message(message)) => message,
            other => panic!("not a message: {other:?}"),
        }
    }

    #[test]
    fn senders_become_e164_or_stay_as_sent_and_recipients_ten_digits_once() {
        for (from, want) in [
            ("13123752629", "+13123752629"),
            ("+13123752629", "+13123752629"),
            ("12345", "12345"),
        ] {
            let json = format!(r#"{{"referenceId":"r","from":"{from}","to":["12015550100"]}}"#);
            assert_eq!(message(&json).from, want);
        }
        let both = message(
            r#"{"referenceId":"r","from":"1","to":["12015550101","+12015550100","12015550101","5"]}"#,
        );
        assert_eq!(both.to, ["2015550100", "2015550101"]);
    }

    #[test]
    fn receipts_need_only_their_reference() {
        let post: InboundPost =
            serde_json::from_str(r#"{"referenceId":"r","deliveryReceipt":true}"#).expect("body");
        assert_eq!(
            read(post),
            Ok(Delivered::Receipt(DeliveryReceipt {
                reference_id: "r".to_owned()
            }))
        );
    }
}
