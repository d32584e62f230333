/** The worker side of a queue: fetch, finish, retry, lock renewal and stalled recovery, as atomic scripts. */
package dev.corral.broker.lifecycle;
