//! A carrier that counts its calls: each operation's latency and failures reach the metrics.

use std::sync::Arc;
use std::time::Instant;

use secrecy::SecretString;

use super::{
    Carrier, CarrierFuture, MessagingType, NumberDetail, Outbound, Published, ServicesAccount,
    Webhook, WebhookSpec,
};
use crate::metrics::Metrics;

pub struct Metered {
    pub inner: Arc<dyn Carrier>,
    pub metrics: Arc<Metrics>,
}

impl Metered {
    fn timed<'a, T: Send + 'a>(
        &'a self,
        operation: &'static str,
        call: CarrierFuture<'a, T>,
    ) -> CarrierFuture<'a, T> {
        Box::pin(async move {
            let start = Instant::now();
            let result = call.await;
            self.metrics
                .carrier_call(operation, start.elapsed(), result.is_err());
            result
        })
    }
}

impl Carrier for Metered {
    fn verify_services<'a>(&'a self, account: &'a ServicesAccount) -> CarrierFuture<'a, ()> {
        self.timed("verify_services", self.inner.verify_services(account))
    }

    fn verify_outbound<'a>(&'a self, outbound_key: &'a SecretString) -> CarrierFuture<'a, ()> {
        self.timed("verify_outbound", self.inner.verify_outbound(outbound_key))
    }

    fn number_detail<'a>(
        &'a self,
        account: &'a ServicesAccount,
        number: &'a str,
    ) -> CarrierFuture<'a, Option<NumberDetail>> {
        self.timed("number_detail", self.inner.number_detail(account, number))
    }

    fn enable_messaging<'a>(
        &'a self,
        account: &'a ServicesAccount,
        number: &'a str,
        kind: MessagingType,
    ) -> CarrierFuture<'a, ()> {
        let call = self.inner.enable_messaging(account, number, kind);
        self.timed("enable_messaging", call)
    }

    fn list_webhooks<'a>(
        &'a self,
        outbound_key: &'a SecretString,
    ) -> CarrierFuture<'a, Vec<Webhook>> {
        self.timed("list_webhooks", self.inner.list_webhooks(outbound_key))
    }

    fn add_webhook<'a>(
        &'a self,
        outbound_key: &'a SecretString,
        spec: &'a WebhookSpec,
    ) -> CarrierFuture<'a, String> {
        self.timed("add_webhook", self.inner.add_webhook(outbound_key, spec))
    }

    fn remove_webhook<'a>(
        &'a self,
        outbound_key: &'a SecretString,
        auth_id: &'a str,
    ) -> CarrierFuture<'a, ()> {
        self.timed(
            "remove_webhook",
            self.inner.remove_webhook(outbound_key, auth_id),
        )
    }

    fn publish<'a>(
        &'a self,
        outbound_key: &'a SecretString,
        message: &'a Outbound,
    ) -> CarrierFuture<'a, Published> {
        self.timed("publish", self.inner.publish(outbound_key, message))
    }
}
