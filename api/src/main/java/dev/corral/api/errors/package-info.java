/** Error responses: the exception to status table and the JSON error body. */
package dev.corral.api.errors;
