/**
 * ONNX export of a policy's deterministic action ({@link org.calql.onnx.OnnxExport}), written in the protobuf
 * wire format by hand, so calql-core needs neither protobuf nor ONNX; ONNX Runtime's Java API runs the result.
 */
package org.calql.onnx;
