import Foundation
import SitrepLanguage
import SitrepText
import Testing

@testable import SitrepAnnotate

/// Scratch storage stays with the thread that used it, and what the actor tagger keeps in it
/// (its readings of lexicon entries) are copies of its own, equal to the lexicon's.
@Suite("Scratch pool")
struct ScratchPoolTests {
    /// A scratch told apart by the object it holds.
    struct Marked: ScratchStorage {
        final class Tag: @unchecked Sendable {}
        var tag = Tag()
    }

    final class Box: @unchecked Sendable {
        var tag: Marked.Tag?
    }

    /// Runs `body` on a new thread and waits for it.
    static func onThread(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.start()
        done.wait()
    }

    @Test("a thread takes back the scratch it gave, even when another thread gave one since")
    func threadGetsItsOwnBack() {
        let pool = ScratchPool<Marked>()
        let mine = pool.take()
        let other = Box()
        // another thread takes a scratch of its own (the pool is empty: a new one) and gives it
        // back after this thread's: the last given is the other thread's
        pool.give(mine)
        Self.onThread {
            let s = Marked()
            other.tag = s.tag
            pool.give(s)
        }
        #expect(pool.count == 2)
        let again = pool.take()
        #expect(again.tag === mine.tag)
        #expect(again.tag !== other.tag)
        // a thread with none of its own gets the one given back longest ago (the other
        // thread's: given before this thread's went back), this thread's stays
        let taken = Box()
        pool.give(again)
        Self.onThread { taken.tag = pool.take().tag }
        #expect(taken.tag === other.tag)
        #expect(pool.count == 1)
        #expect(pool.take().tag === mine.tag)
    }

    @Test("the pool keeps at most its capacity")
    func capacity() {
        let pool = ScratchPool<Marked>()
        for _ in 0..<(ScratchPool<Marked>.capacity + 5) { pool.give(Marked()) }
        #expect(pool.count == ScratchPool<Marked>.capacity)
    }

    @Test("a named actor's mention is equal to the lexicon's reference, in a record of the scratch's own")
    func readingsAreDetached() throws {
        let lexicon = try ActorLexicon.english()
        let tagger = try ActorTagger.english()
        guard let entry = lexicon.named.first(where: { $0.ref.name.utf8.count > 15 }) else {
            Issue.record("no named actor with a long name")
            return
        }
        let doc = try TextProcessor.english().document("On Monday \(entry.ref.name) said the convoy was hit.")
        func tagged() -> ActorRef? {
            var annotations = Annotations()
            tagger.tag(doc, context: ArticleContext(published: nil), into: &annotations)
            return annotations.actors.first { $0.actor?.id == entry.ref.id }?.actor
        }
        let first = try #require(tagged())
        #expect(first == entry.ref)
        #expect(first.record !== entry.ref.record)
        // the same thread's next document gets the same copy back
        let second = try #require(tagged())
        #expect(second.record === first.record)
    }

    @Test("detached references and strings are equal to the originals")
    func detached() {
        let long = "Ministry of Defence of the Republic of Armenia"
        let ref = ActorRef(id: "ARM.MOD", name: long, country: "ARM", kind: .government)
        let copy = ref.detached()
        #expect(copy == ref)
        #expect(copy.record !== ref.record)
        #expect(ActorRef.detached(long) == long)
        #expect(ActorRef.detached("") == "")
        #expect(ActorRef(id: "X", name: "Y", country: nil, kind: .other).detached().country == nil)
    }
}
