/**
 * Argument checks whose messages name the field, and the shared Jackson mapper: small utilities the
 * broker, the SDK and the API all use, so validation messages and JSON handling read the same everywhere.
 */
package dev.corral.broker.support;
