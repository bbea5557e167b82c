import { leastSquaresSlope } from './stats';

describe('leastSquaresSlope', () => {
    it('finds the slope of points on a line, and of noisy points around one', () => {
        expect(leastSquaresSlope([[0, 1], [1, 3], [2, 5]])).toBeCloseTo(2);
        expect(leastSquaresSlope([[0, 10], [1, 9], [2, 11], [3, 10]])).toBeCloseTo(0.2);
    });

    it('is 0 for flat series and for too few distinct x', () => {
        expect(leastSquaresSlope([[0, 5], [1, 5], [2, 5]])).toBe(0);
        expect(leastSquaresSlope([[3, 1]])).toBe(0);
        expect(leastSquaresSlope([])).toBe(0);
        expect(leastSquaresSlope([[1, 1], [1, 9]])).toBe(0);
    });
});
