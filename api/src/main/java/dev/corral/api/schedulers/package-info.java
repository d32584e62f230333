/** Job schedulers (BullMQ's repeatable jobs) of a queue over HTTP: {@code /api/queues/{queue}/schedulers}. */
package dev.corral.api.schedulers;
