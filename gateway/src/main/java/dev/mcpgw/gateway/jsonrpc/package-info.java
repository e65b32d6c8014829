/**
 * The message format every part of the request's path shares: {@link dev.mcpgw.gateway.jsonrpc.MessageJson}, the one
 * Jackson mapper with the gateway's parser limits; {@link dev.mcpgw.gateway.jsonrpc.JsonRpc}, which reads and writes
 * JSON-RPC 2.0 messages as Jackson trees; and {@link dev.mcpgw.gateway.jsonrpc.RpcException}, a JSON-RPC error with
 * its code. It imports no other package of the gateway.
 */
package dev.mcpgw.gateway.jsonrpc;
