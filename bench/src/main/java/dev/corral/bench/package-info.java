/** Corral vs bullmq 6.7.0 benchmark: same Redis, same scenarios, one run prints both and the ratio. */
package dev.corral.bench;
