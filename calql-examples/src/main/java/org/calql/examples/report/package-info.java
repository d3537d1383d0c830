/**
 * Reports of training runs for people: the metrics table as CSV, PNG plots (XChart, headless) and a
 * Markdown summary. Every file is written atomically (a temporary file in the same folder, then a
 * move), so a failure leaves no half-written report behind.
 */
package org.calql.examples.report;
