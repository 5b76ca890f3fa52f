return '__NOT_DEFINED__'
