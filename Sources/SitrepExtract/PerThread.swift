#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `Value` per thread, made on first use and released when the thread ends: scratch that
/// extraction reuses from document to document without locks (the output line's object cache,
/// the claims' token tables).
final class PerThread<Value: AnyObject>: @unchecked Sendable {
    private let key: pthread_key_t
    private let make: @Sendable () -> Value

    init(_ make: @escaping @Sendable () -> Value) {
        var key = pthread_key_t()
        pthread_key_create(&key) { p in
            if let p { Unmanaged<AnyObject>.fromOpaque(p).release() }
        }
        self.key = key
        self.make = make
    }

    /// This thread's value.
    var value: Value {
        if let p = pthread_getspecific(key) {
            return Unmanaged<Value>.fromOpaque(p).takeUnretainedValue()
        }
        let value = make()
        pthread_setspecific(key, Unmanaged.passRetained(value).toOpaque())
        return value
    }
}
