import { Type, type ObjectOptions, type TObject, type TArray, type TString, type TInteger, type TSchema } from '@sinclair/typebox';

/** One page of a list: `bookmark` is empty after the last page. The one page shape of every chaincode and client. */
export const Page = <T extends TSchema>(item: T, options?: ObjectOptions): TObject<{ records: TArray<T>; bookmark: TString; fetchedRecordsCount: TInteger }> =>
    Type.Object(
        {
            records: Type.Array(item),
            bookmark: Type.String({ description: 'pass to the next call; empty after the last page' }),
            fetchedRecordsCount: Type.Integer({ minimum: 0 }),
        },
        options,
    );

/** The static type of a page (the same shape as the schema's). */
export interface Page<T> {
    records: T[];
    bookmark: string;
    fetchedRecordsCount: number;
}
