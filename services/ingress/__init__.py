"""Ingress: other platforms' "start a task" APIs (Genesys Context Services Start Task, Amazon
Connect StartTaskContact), each creating an ordinary routed task. See docs/ingress.md.

The RPCs are methods of TaskService (servicer.IngressMethods, mixed into TaskServicer); their HTTP
shapes come from the `taskrouter.v1.http_response` option the gateway reads.
"""
